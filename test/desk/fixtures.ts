/** Published fact-checks several desk tests match questions against (the `form` of makeFactcheck). */

/** A bridge rumour: the Trường Tiền bridge cracked and closed to motorbikes. */
export const BRIDGE_FACTCHECK = {
  title: 'Cầu Trường Tiền không bị nứt và không cấm xe',
  claim: 'Cầu Trường Tiền bị nứt dầm, sắp sập, từ mai cấm toàn bộ xe máy qua cầu.',
  summary: 'Sai. Cầu đang được bảo dưỡng sơn định kỳ; kết quả kiểm định cho thấy kết cấu an toàn.',
};
